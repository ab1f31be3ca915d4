"""Every word of the reports and explanations, in Swedish and English, and `Words`: the
language of one output, chosen once.

Results hold keys and values, never sentences; this table is the one place
where wording is reviewed and translated. The ruleset's own texts (goals,
indicators, groups) are shown as written, in whatever language they are.
Every renderer is given a `Words` and asks it for sentences and numbers; no
function below the API is told the language again."""

from __future__ import annotations

from impactdsl.core import formats
from impactdsl.core.kinds import Lang

WORDS = {
    "sv": {
        # what each traced number is
        "trace.answered": "{who} som svarat på {question}",
        "trace.too_few": "färre än {minimum} svar",
        "trace.unanswered": "svarade inte: {label} (räknas inte i n)",
        "trace.in_answers": "av dem svarade {answers}",
        "trace.share": "andel {k}/{n}",
        "trace.rounded": "avrundat ({mode} till {step} %)",
        "trace.value": "{name}",
        "trace.previous_value": "{name} (föregående period)",
        "trace.months_sum": "månader inskrivna, summa för {name}",
        "trace.mean_months": "medelvärde, månader",
        "trace.constant": "värde i regeln",
        "trace.param": "{name}",
        "trace.gap": "skillnad",
        "trace.increase": "ökning",
        "trace.decrease": "minskning",
        "trace.outcome": "utfall för indikator {id}",
        # why an indicator was not assessed
        "reason.no_answers": "data saknas om svar från {who} på {question}",
        "reason.too_few": "färre än {minimum} i {who} svarade på {question} (regelverkets minsta n)",
        "reason.nobody": "ingen i {who} svarade på {question}",
        "reason.no_count": "data anger inget antal för svaren {answers} på {question}",
        "reason.no_value": "data saknar värde för {label}",
        "reason.no_months": "data saknar inskrivna månader för {label}",
        "reason.zero_count": "{label} är 0, så inget medelvärde kan räknas",
        "reason.zero_whole": "{whole} är 0, så andelen kan inte räknas",
        "reason.zero_start": "startvärdet är 0, så en relativ förändring kan inte räknas",
        "reason.outcome_missing": "indikator {id} bedömdes inte",
        # statuses
        "status.met": "uppfyllt", "status.near": "nära målet", "status.missed": "ej uppfyllt",
        "status.not-assessed": "ej bedömt",
        "status.met.long": "uppfyllt (positivt utfall)", "status.near.long": "nära målet, inte uppfyllt",
        "status.missed.long": "inte uppfyllt (negativt utfall)", "status.not-assessed.long": "inte bedömt",
        # report frame
        "report.area": "Målområde", "report.goal": "Mål", "report.indicator": "Indikator",
        "report.goal_no": "Mål nr", "report.social_goal": "Socialt mål", "report.indicator_no": "Ind nr",
        "report.value": "Indikatorvärde", "report.positive": "Positivt utfall", "report.negative": "Negativt utfall",
        "report.achieved_value": "Uppnått värde", "report.result": "Resultat", "report.outcome": "Utfall",
        "report.points": "Poäng", "report.status": "Bedömning", "report.summary": "Sammanfattning",
        "report.planned_weight": "Planerad viktning", "report.actual_weight": "Viktning utfall",
        "report.goals": "Antal mål", "report.indicators": "Antal indikatorer", "report.max": "Maximalt värde",
        "report.achieved": "Uppnått värde", "report.fulfilment": "Måluppfyllelse", "report.index": "Impact Index",
        "report.target": "Budgeterat", "report.difference": "Skillnad", "report.total": "Totalt",
        "report.explanation": "Så räknades det", "report.override": "Manuellt beslut",
        "report.note": "Regelverkets läsning av källan", "report.margin": "inom felmarginalen",
        "report.margin_long": "Målet ligger inom 95 % konfidensintervall ({low}–{high}); "
                              "utfallet skiljer sig inte säkert från målet.",
        "report.interval": "95 % intervall {low}–{high}, {n} svar",
        "report.too_few": "färre än {minimum} svar",
        "report.bonus": "bonus", "report.bonus_row": "Bonus",
        "report.index_sentence": "Impact Index {index} är {diff} indexpunkter {word} resultat än budgeterat.",
        "report.better": "bättre", "report.worse": "sämre", "report.as_planned": "Impact Index {index}, som budgeterat.",
        "report.of": "av", "report.have_answered": "har svarat", "report.or": "eller",
        "report.gap_sentence": "{first} och {second}; skillnad {gap}",
        "report.generated": "Beräknat av impactdsl från {ruleset}",
        "report.title": "Impact Index {period}",
        "report.legend": "Grönt = uppfyllt, orange = nära målet, rött = ej uppfyllt, grått = ej bedömt.",
        # explanations
        "explain.rule": "Regeln som den är skriven",
        "explain.template": "(mallen {name} används)",
        "explain.requirement": "Kravet: utfallet ska vara {criterion}.",
        "explain.per_unit": "{points} poäng per styck, högst {cap} poäng.",
        "explain.numbers": "Siffror som använts:",
        "explain.not_assessed": "Inte bedömt: {reason}.",
        "explain.in_max": "Indikatorn räknas med i maxvärdet enligt regelverkets val för saknade data.",
        "explain.out_of_max": "Indikatorn räknas inte med i maxvärdet enligt regelverkets val för saknade data.",
        "explain.comparison": "Jämförelse: {value} {sign} {bound}? {answer}.",
        "explain.comparison_words": "Jämförelse: {value}, krav {criterion}? {answer}.",
        "explain.count": "Antal: {value}, ger {points} poäng av högst {cap}.",
        "explain.near": "Utfallet ligger inom regelverkets band för 'nära målet'.",
        "explain.override": "Manuellt beslut: utfallet sätts till {status} (beräknat: {computed}).",
        "explain.reason": "Skäl: {reason}",
        "explain.note": "Regelverkets läsning: {note}",
        "explain.bonus_row": "Resultat: {status} — {points} poäng i bonus (bonus räknas inte i maxvärdet).",
        "explain.result": "Resultat: {status} — {points} av {value} poäng.",
        "explain.bonus": "Bonus: utfallet ska vara {criterion}: {answer}, {points} poäng i bonus.",
        "explain.margin_more": "Marginal: {count} fler {what} (av samma {whole}) hade {verb} {goal}.",
        "explain.margin_fewer": "Marginal: med {count} färre {what} (av samma {whole}) hade {result}.",
        "explain.margin_met": "nått", "explain.margin_crossed": "gått över",
        "explain.margin_lost": "kravet {goal} inte längre nåtts", "explain.margin_gained": "kravet nåtts",
        "explain.answers_in": "svar i {answers}", "explain.answer_in": "svar i {answers}",
        "explain.distance": "Avstånd till gränsen: {distance}.",
        "explain.yes": "Ja", "explain.no": "Nej",
        "explain.header": "{kind} {id} (mål {goal}, målområde {area})",
        "explain.kind.indicator": "Indikator", "explain.kind.bonus": "Bonus",
        "explain.goal_points": "{achieved} av {maximum} poäng från {count} indikatorer:",
        "explain.area_max": "Maxvärde {maximum} poäng (summan av indikatorvärdena, utan bonus).",
        "explain.area_achieved": "Uppnått {achieved} poäng (inklusive bonus).",
        "explain.area_index": "Impact Index {index} = {achieved}/{maximum} = {exact}, avrundat till hela procent.",
        "explain.area_target": "Budgeterat mål {target}: {text}",
        "explain.area_weight": "Planerad viktning {planned}, faktisk viktning {actual} ({maximum} av {total} poäng).",
        "explain.area_counts": "{goals} mål, {indicators} indikatorer.",
        "explain.goal_line": "mål {id}: {achieved} av {maximum} poäng",
        "check.ok": "{path}: ok — målområden {areas}, mål {goals}, indikatorer {indicators}",
        "origin.from": "Indikatorn kommer från {peer}.",
        "origin.target": " (satt här; {peer} har {old})",
        "origin.points": "Poängen är satta här; {peer} har {old}.",
        "origin.text": "Texten är skriven här; {peer} har: ”{old}”",
        "origin.map": "{peer}s {kind} {old} läses här som {new}.",
        "origin.kind.question": "fråga", "origin.kind.group": "grupp", "origin.kind.count": "antal",
        "origin.kind.fact": "uppgift",
        "grade.line": "Betyg: {grade}",
        "grade.decided": "Avgjordes av {id}: {shortfall} under målet.",
        "grade.all_met": "Alla mål som betyget läser är uppfyllda.",
        "grade.not_assessed": "Avgjordes av {id}, som inte kunde bedömas.",
        "grade.step": "{grade}: varje {selector} högst {limit} under målet? {answer}{worst}",
        "grade.worst": " (längst ifrån: {id}, {shortfall})",
        "grade.otherwise": "{grade}: annars.",
        "grade.selector.share": "andelsmål", "grade.selector.goal": "mål",
        "table.rest": "annat/ej angivet",
        "op.>=": "minst", "op.<=": "högst", "op.>": "mer än", "op.<": "mindre än", "op.=": "lika med",
        "op.between": "mellan {low} och {high} (gränserna inräknade)",
        "op.within-target": "högst {distance} från målet {target}",
        "op.closer-than-target": "mindre än {distance} från målet {target}",
    },
    "en": {
        "trace.answered": "{who} who answered {question}",
        "trace.too_few": "fewer than {minimum} answers",
        "trace.unanswered": "did not answer: {label} (not counted in n)",
        "trace.in_answers": "of whom answered {answers}",
        "trace.share": "share {k}/{n}",
        "trace.rounded": "rounded ({mode} to {step} %)",
        "trace.value": "{name}",
        "trace.previous_value": "{name} (previous period)",
        "trace.months_sum": "months enrolled, total for {name}",
        "trace.mean_months": "mean, months",
        "trace.constant": "value in the rule",
        "trace.param": "{name}",
        "trace.gap": "difference",
        "trace.increase": "increase",
        "trace.decrease": "decrease",
        "trace.outcome": "outcome of indicator {id}",
        "reason.no_answers": "the data hold no answers from {who} to {question}",
        "reason.too_few": "fewer than {minimum} in {who} answered {question} (the ruleset's minimum n)",
        "reason.nobody": "no one in {who} answered {question}",
        "reason.no_count": "the data give no count of the answers {answers} to {question}",
        "reason.no_value": "the data hold no value for {label}",
        "reason.no_months": "the data hold no months enrolled for {label}",
        "reason.zero_count": "{label} is 0, so no mean can be computed",
        "reason.zero_whole": "{whole} is 0, so the share cannot be computed",
        "reason.zero_start": "the starting value is 0, so a relative change cannot be computed",
        "reason.outcome_missing": "indicator {id} was not assessed",
        "status.met": "met", "status.near": "near target", "status.missed": "missed",
        "status.not-assessed": "not assessed",
        "status.met.long": "met (positive outcome)", "status.near.long": "near the target, not met",
        "status.missed.long": "not met (negative outcome)", "status.not-assessed.long": "not assessed",
        "report.area": "Goal area", "report.goal": "Goal", "report.indicator": "Indicator",
        "report.goal_no": "Goal no", "report.social_goal": "Social goal", "report.indicator_no": "Ind no",
        "report.value": "Indicator value", "report.positive": "Positive outcome", "report.negative": "Negative outcome",
        "report.achieved_value": "Achieved value", "report.result": "Result", "report.outcome": "Outcome",
        "report.points": "Points", "report.status": "Assessment", "report.summary": "Summary",
        "report.planned_weight": "Planned weight", "report.actual_weight": "Actual weight",
        "report.goals": "Goals", "report.indicators": "Indicators", "report.max": "Maximum value",
        "report.achieved": "Achieved value", "report.fulfilment": "Fulfilment", "report.index": "Impact Index",
        "report.target": "Budgeted", "report.difference": "Difference", "report.total": "Total",
        "report.explanation": "How it was computed", "report.override": "Manual decision",
        "report.note": "The ruleset's reading of its source", "report.margin": "within the margin of error",
        "report.margin_long": "The target lies inside the 95% confidence interval ({low}–{high}); "
                              "the outcome is not reliably different from the target.",
        "report.interval": "95% interval {low}–{high}, {n} answers",
        "report.too_few": "fewer than {minimum} answers",
        "report.bonus": "bonus", "report.bonus_row": "Bonus",
        "report.index_sentence": "Impact Index {index} is {diff} index points {word} than budgeted.",
        "report.better": "better", "report.worse": "worse", "report.as_planned": "Impact Index {index}, as budgeted.",
        "report.of": "of", "report.have_answered": "answered", "report.or": "or",
        "report.gap_sentence": "{first} and {second}; difference {gap}",
        "report.generated": "Computed by impactdsl from {ruleset}",
        "report.title": "Impact Index {period}",
        "report.legend": "Green = met, orange = near the target, red = missed, grey = not assessed.",
        "explain.rule": "The rule as written",
        "explain.template": "(uses the template {name})",
        "explain.requirement": "Requirement: the outcome must be {criterion}.",
        "explain.per_unit": "{points} points each, at most {cap} points.",
        "explain.numbers": "Numbers used:",
        "explain.not_assessed": "Not assessed: {reason}.",
        "explain.in_max": "The indicator counts in the maximum, as the ruleset decides for missing data.",
        "explain.out_of_max": "The indicator is left out of the maximum, as the ruleset decides for missing data.",
        "explain.comparison": "Comparison: {value} {sign} {bound}? {answer}.",
        "explain.comparison_words": "Comparison: {value}, required {criterion}? {answer}.",
        "explain.count": "Count: {value}, giving {points} points of at most {cap}.",
        "explain.near": "The outcome lies within the ruleset's 'near the target' band.",
        "explain.override": "Manual decision: the outcome is set to {status} (computed: {computed}).",
        "explain.reason": "Reason: {reason}",
        "explain.note": "The ruleset's reading: {note}",
        "explain.bonus_row": "Result: {status} — {points} bonus points (bonus never counts in the maximum).",
        "explain.result": "Result: {status} — {points} of {value} points.",
        "explain.bonus": "Bonus: the outcome must be {criterion}: {answer}, {points} bonus points.",
        "explain.margin_more": "Margin: {count} more {what} (of the same {whole}) would have {verb} {goal}.",
        "explain.margin_fewer": "Margin: with {count} fewer {what} (of the same {whole}), {result}.",
        "explain.margin_met": "met", "explain.margin_crossed": "exceeded",
        "explain.margin_lost": "the requirement {goal} would not have been met",
        "explain.margin_gained": "the requirement would have been met",
        "explain.answers_in": "answers in {answers}", "explain.answer_in": "answer in {answers}",
        "explain.distance": "Distance to the limit: {distance}.",
        "explain.yes": "Yes", "explain.no": "No",
        "explain.header": "{kind} {id} (goal {goal}, goal area {area})",
        "explain.kind.indicator": "Indicator", "explain.kind.bonus": "Bonus",
        "explain.goal_points": "{achieved} of {maximum} points from {count} indicators:",
        "explain.area_max": "Maximum {maximum} points (the sum of the indicator values, without bonus).",
        "explain.area_achieved": "Achieved {achieved} points (bonus included).",
        "explain.area_index": "Impact Index {index} = {achieved}/{maximum} = {exact}, rounded to a whole percent.",
        "explain.area_target": "Budgeted target {target}: {text}",
        "explain.area_weight": "Planned weight {planned}, actual weight {actual} ({maximum} of {total} points).",
        "explain.area_counts": "{goals} goals, {indicators} indicators.",
        "explain.goal_line": "goal {id}: {achieved} of {maximum} points",
        "check.ok": "{path}: ok — areas {areas}, goals {goals}, indicators {indicators}",
        "origin.from": "The indicator comes from {peer}.",
        "origin.target": " (set here; {peer} has {old})",
        "origin.points": "The points are set here; {peer} has {old}.",
        "origin.text": "The text is written here; {peer} has: “{old}”",
        "origin.map": "{peer}'s {kind} {old} is read here as {new}.",
        "origin.kind.question": "question", "origin.kind.group": "group", "origin.kind.count": "count",
        "origin.kind.fact": "fact",
        "grade.line": "Grade: {grade}",
        "grade.decided": "Decided by {id}: {shortfall} short of its target.",
        "grade.all_met": "Every goal the grade reads is met.",
        "grade.not_assessed": "Decided by {id}, which could not be assessed.",
        "grade.step": "{grade}: every {selector} at most {limit} short of its target? {answer}{worst}",
        "grade.worst": " (furthest: {id}, {shortfall})",
        "grade.otherwise": "{grade}: otherwise.",
        "grade.selector.share": "share goal", "grade.selector.goal": "goal",
        "table.rest": "other/not stated",
        "op.>=": "at least", "op.<=": "at most", "op.>": "more than", "op.<": "less than", "op.=": "equal to",
        "op.between": "between {low} and {high} (both included)",
        "op.within-target": "at most {distance} from the target {target}",
        "op.closer-than-target": "less than {distance} from the target {target}",
    },
}


class Words:
    """The words and number formats of one language: `say("report.of")`, `say.value(x, "percent")`.
    A plain class: made on every run, it costs nothing to define."""

    __slots__ = ("lang",)

    def __init__(self, lang: str):
        self.lang = Lang(lang)

    def __call__(self, key: str, **values) -> str:
        return WORDS[self.lang][key].format(**values)

    def frame(self, prefix: str) -> dict[str, str]:
        """Every word under `prefix` ("report."), by the rest of its key: what a template reads."""
        return {key[len(prefix):]: text for key, text in WORDS[self.lang].items() if key.startswith(prefix)}

    def number(self, value, decimals: int = 1) -> str:
        return formats.number(value, self.lang, decimals)

    def percent(self, value, decimals: int = 1) -> str:
        return formats.percent(value, self.lang, decimals)

    def signed(self, value) -> str:
        return formats.signed(value, self.lang)

    def value(self, value, unit: str) -> str:
        return formats.value(value, unit, self.lang)

    def status(self, status: str, long: bool = True) -> str:
        return self(f"status.{status}" + (".long" if long else ""))

    def reason(self, reason) -> str:
        """Why an indicator was not assessed: (words key, arguments) as a sentence."""
        key, args = reason
        return self("reason." + key, **dict(args))

    def trace(self, item) -> tuple[str, str]:
        """A traced number as (what it is, its value as shown)."""
        args = dict(item.args)
        if item.unit == "too-few":
            return self("trace.answered", **args), self("trace.too_few", minimum=args["minimum"])
        return self("trace." + item.key, **args), self.value(item.value, item.unit)
