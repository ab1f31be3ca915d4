"""Every word of the reports and explanations, in Swedish and English, and `Words`: the
language of one output, chosen once.

Results hold keys and values, never sentences; this table is the one place
where wording is reviewed and translated. The ruleset's own texts (goals,
indicators, groups) are shown as written, in whatever language they are.
Every renderer is given a `Words` and asks it for sentences and numbers; no
function below the API is told the language again."""

from __future__ import annotations

from impactdsl.core import formats
from impactdsl.core.kinds import Lang, Status, Term


class Counted:
    """A sentence whose noun goes with a number: `one` when the value named `count` is 1, else
    `many` ("1 värde som väntat", "7 värden som väntat"). Formatted as a text is."""

    __slots__ = ("count", "one", "many")

    def __init__(self, count: str, one: str, many: str):
        self.count, self.one, self.many = count, one, many

    def format(self, **values) -> str:
        return (self.one if values[self.count] == 1 else self.many).format(**values)


WORDS = {
    "sv": {
        # what each traced number is
        "trace.answered": "{who} som svarat på {question}",
        "trace.too_few": "färre än {minimum} svar",
        "trace.unanswered": "svarade inte: {label} (räknas inte i n)",
        "trace.left_out": "rader borträknade, de uppfyller inte {filter}",
        "trace.in_answers": "av dem svarade {answers}",
        "trace.share": "andel {k}/{n}",
        "trace.rounded": "avrundat ({mode} till {step} %)",
        "trace.value": "{name}",
        "trace.previous_value": "{name} (föregående period)",
        "trace.period_value": "{name} ({period})",
        "trace.computed": "räknat: {formula}",
        "trace.min": "det minsta: {formula}",
        "trace.max": "det största: {formula}",
        "trace.sum": "summa över {over}",
        "trace.target": "målvärdet, räknat",
        "trace.months_sum": "månader inskrivna, summa för {name}",
        "trace.mean_months": "medelvärde, månader",
        "trace.constant": "värde i regeln",
        "trace.param": "{name}",
        "trace.gap": "skillnad",
        "trace.increase": "ökning",
        "trace.decrease": "minskning",
        "trace.outcome": "utfall för indikator {id}",
        "trace.reported": "bedömd av {by}",
        "trace.kolada": "{name}: Kolada {kpi}, kommun {municipality}, {period} (Källa: Kolada, hämtad {downloaded})",
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
        "reason.no_report": "data anger ingen bedömning av {id} (under reported:)",
        "reason.todo": "ingen regel är skriven ännu (att göra)",
        "reason.zero_divisor": "talet det delas med är 0, så kvoten kan inte räknas",
        "reason.kolada_withheld": "Kolada visar inte {kpi} för {municipality} {period} (..: för litet underlag)",
        "reason.kolada_missing": "Kolada saknar {kpi} för {municipality} {period} (-)",
        "reason.kolada_not_applicable": "{kpi} är inte tillämpligt för {municipality} {period} enligt Kolada (.)",
        "reason.too_few_counted": "{whole} är färre än {minimum} (regelverkets minsta n), så andelen visas inte",
        "reason.too_large": "{formula} blir större än något tal en rapport kan visa",
        "reason.too_few_parts": "{assessed} delar bedömda, regelverket kräver minst {minimum}",
        "reason.no_band": "inget band höll",
        # statuses
        # the neutral word for each part of a method (core/kinds.Term) the ruleset does not `call`
        "term.area": "Område", "term.goal": "Mål", "term.indicator": "Indikator", "term.grade": "Bedömning",
        "term.target": "Målvärde", "term.weight": "Planerad vikt", "term.points": "Poäng",
        "term.value": "Högsta poäng",
        # report frame
                "report.indicator_no": "Ind nr",
                "report.outcome": "Utfall", "report.outcome_text": "Utfallet i ord",
        "report.status": "Bedömning", "report.summary": "Sammanfattning",
        "report.actual_weight": "Viktning utfall",
        "report.goals": "Antal mål", "report.indicators": "Antal indikatorer", "report.max": "Maximalt värde",
        "report.achieved": "Uppnått värde",         "report.difference": "Skillnad", "report.total": "Totalt",
        "report.explanation": "Så räknades det", "report.override": "Manuellt beslut",
        "report.reported_by": "Bedömd av {by}", "report.evidence": "underlag: {evidence}",
        "report.narrative": "Redovisning",
        "report.note": "Regelverkets läsning av källan", "report.margin": "inom felmarginalen",
        "report.margin_long": "Målet ligger inom 95 % konfidensintervall ({low}–{high}); "
                              "utfallet skiljer sig inte säkert från målet.",
        "report.interval": "95 % intervall {low}–{high}, {n} svar",
        "report.too_few": "färre än {minimum} svar",
        "report.bonus": "bonus", "report.bonus_row": "Bonus",
        "report.index_sentence": "{name} {index} är {diff} indexpunkter {word} resultat än {target}.",
        "report.better": "bättre", "report.worse": "sämre", "report.as_planned": "{name} {index}, som {target}.",
        "report.of": "av", "report.have_answered": "har svarat", "report.or": "eller",
        "report.gap_sentence": "{first} och {second}; skillnad {gap}",
        "report.generated": "Beräknat av impactdsl från {ruleset}",
        "report.inputs": "Indata (SHA-256)",
        "report.evaluated": "Utvärderad {date} med impactdsl {version}", "report.page": "sida",
        "report.target_column": "Målvärde", "report.judgement": "Bedömning",
        "report.per_unit": "{points} per styck, högst {cap}", "report.met_of": "{met} av {of} {status}",
        "report.unassessed_one": "1 indikator kunde inte bedömas",
        "report.unassessed_many": "{count} indikatorer kunde inte bedömas",
        "report.unassessed_points": " ({points} av {possible} {points_word})",
        "report.withheld": "ej redovisat",
        "report.withheld_why": "{index} redovisas inte: {share} kunde inte bedömas, regelverket tillåter högst {limit}",
        "missing.no_answers": "svar från {who} saknas",
        "missing.too_few": "färre än {minimum} svar från {who}",
        "missing.nobody": "ingen i {who} svarade",
        "report.judged_by": "bedömt av en person", "report.yes": "ja", "report.no": "nej",
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
        "explain.override": "Manuellt beslut: utfallet sätts till {status} (beräknat: {computed}).",
        "explain.reason": "Skäl: {reason}",
        "explain.note": "Regelverkets läsning: {note}",
        "explain.reported_rule": "Statusen bedöms av en person och anges i data under reported:.",
        "explain.todo_rule": "Regeln är inte skriven ännu (att göra): indikatorn bedöms inte och räknas inte in i "
                             "maximum.",
        "explain.reported": "Rapporterad status: {status}, inte beräknad. {by}.",
        "explain.bonus_row": "Resultat: {status} — {points} poäng i bonus (bonus räknas inte i maxvärdet).",
        "explain.result": "Resultat: {status} — {points} av {value} {points_word}.",
        "explain.status": "Resultat: {status}.",
        "explain.bonus": "Bonus: utfallet ska vara {criterion}: {answer}, {points} poäng i bonus.",
        "explain.margin_more": "Marginal: {count} fler {what} (av samma {whole}) hade {verb} {goal}.",
        "explain.margin_fewer": "Marginal: med {count} färre {what} (av samma {whole}) hade {result}.",
        "explain.margin_met": "nått", "explain.margin_crossed": "gått över",
        "explain.margin_lost": "kravet {goal} inte längre nåtts", "explain.margin_gained": "kravet nåtts",
        "explain.answers_in": "svar {answers}", "explain.answer_in": "svar {answers}",
        "explain.distance": "Avstånd till gränsen: {distance}.",
        "explain.yes": "Ja", "explain.no": "Nej",
        "explain.header": "{kind} {id} ({goal_word} {goal}, {area_word} {area})",
        "explain.kind.indicator": "Indikator", "explain.kind.bonus": "Bonus",
        "explain.goal_points": "{achieved} av {maximum} poäng från {count} indikatorer:",
        "explain.area_max": "Maxvärde {maximum} poäng (summan av indikatorvärdena, utan bonus).",
        "explain.area_achieved": "Uppnått {achieved} poäng (inklusive bonus).",
        "explain.area_index": "{name} {index} = {achieved}/{maximum} = {exact}, avrundat till hela procent.",
        "explain.goal_index": "{name} {index} = {good}/{assessed} bedömda mål, avrundat till hela procent.",
        "explain.area_target": "{target_word} {target}: {text}",
        "explain.area_weight": "{weight_word} {planned}, faktisk andel {actual} ({maximum} av {total} poäng).",
        "explain.band": "Utfallet ligger inom bandet för {status}: {band}.",
        "band.distance": "högst {amount} från målet", "band.distance.below": "högst {amount} under målet",
        "band.distance.above": "högst {amount} över taket", "band.share": "minst {amount} av målet",
        "explain.area_counts": "{goals} mål, {indicators} indikatorer.",
        "explain.goal_line": "mål {id}: {achieved} av {maximum} poäng",
        "check.ok": "{path}: ok — {area_word}: {areas}, {goal_word}: {goals}, {indicator_word}: {indicators}",
        "test.ok": Counted("checked", "ok    {name} ({checked} värde som väntat)",
                           "ok    {name} ({checked} värden som väntat)"),
        "test.failed": Counted("checked", "FEL   {name}: {count} av {checked} värde blev inte som väntat",
                               "FEL   {name}: {count} av {checked} värden blev inte som väntat"),
        "test.broken": "FEL   {name}: testet kunde inte köras",
        "test.miss": "    {id} {field}: väntat {expected}, blev {got}",
        "test.summary": Counted("cases", "{cases} test, {failed} fel", "{cases} tester, {failed} fel"),
        "test.none": "{path} har inga tester",
        "test.how": "skriv tests/NAMN/expect.yaml (och tests/NAMN/data/) bredvid regelverket: se docs/tests.md",
        "test.coverage": Counted("of", "Täckning: testerna nådde {reached} av {of} bedömning",
                                 "Täckning: testerna nådde {reached} av {of} bedömningar"),
        "test.never": "  {id}: nådde {reached}; aldrig {never}",
        "origin.from": "Indikatorn kommer från {peer}.",
        "origin.target": " (satt här; {peer} har {old})",
        "origin.points": "Poängen är satta här; {peer} har {old}.",
        "origin.text": "Texten är skriven här; {peer} har: ”{old}”",
        "origin.map": "{peer}s {kind} {old} läses här som {new}.",
        "origin.kind.question": "fråga", "origin.kind.group": "grupp", "origin.kind.count": "antal",
        "origin.kind.fact": "uppgift",
        "grade.line": "{word}: {grade}",
        "grade.decided": "Avgjordes av {ids}.",
        "grade.not_assessed": "Inte bedömt: {assessed} av {parts} delar har bedömts; regelverket kräver minst "
                              "{minimum}.",
        "grade.no_band": "Inget av banden höll.",
        "grade.judged": "Bedömt av en person: {reason} (banden gav: {computed}).",
        "grade.step": "{grade}: {conditions}? {answer}",
        "grade.otherwise": "{grade}: annars.",
        "grade.and": " och ",
        "grade.cond.share_short": "varje andelsmål högst {amount} under målet",
        "grade.cond.part_short": "varje mål högst {amount} under målet",
        "grade.cond.all": "alla {status}", "grade.cond.none": "ingen {status} eller sämre",
        "grade.cond.at_least": "minst {amount} {status}", "grade.cond.by_points": " (efter poäng)",
        "grade.found.count": "{found} av {of}", "grade.found.share": "{found}",
        "grade.found.short": "längst ifrån: {shortfall}", "grade.found.none": "inget att läsa",
        "grade.tried": "{condition}: {answer} ({found}{ids})",
        "table.rest": "annat/ej angivet",
        "table.hidden": "{marker}: visas inte, färre än {minimum} personer eller så att det annars kunde räknas fram",
        "op.>=": "minst", "op.<=": "högst", "op.>": "mer än", "op.<": "mindre än", "op.=": "lika med",
        "op.between": "mellan {low} och {high} (gränserna inräknade)",
        "op.within-target": "högst {distance} från målet {target}",
        "op.closer-than-target": "mindre än {distance} från målet {target}",
    },
    "en": {
        "trace.answered": "{who} who answered {question}",
        "trace.too_few": "fewer than {minimum} answers",
        "trace.unanswered": "did not answer: {label} (not counted in n)",
        "trace.left_out": "rows left out, they do not meet {filter}",
        "trace.in_answers": "of whom answered {answers}",
        "trace.share": "share {k}/{n}",
        "trace.rounded": "rounded ({mode} to {step} %)",
        "trace.value": "{name}",
        "trace.previous_value": "{name} (previous period)",
        "trace.period_value": "{name} ({period})",
        "trace.computed": "computed: {formula}",
        "trace.min": "the smallest: {formula}",
        "trace.max": "the largest: {formula}",
        "trace.sum": "sum over {over}",
        "trace.target": "the target, computed",
        "trace.months_sum": "months enrolled, total for {name}",
        "trace.mean_months": "mean, months",
        "trace.constant": "value in the rule",
        "trace.param": "{name}",
        "trace.gap": "difference",
        "trace.increase": "increase",
        "trace.decrease": "decrease",
        "trace.outcome": "outcome of indicator {id}",
        "trace.reported": "judged by {by}",
        "trace.kolada": "{name}: Kolada {kpi}, municipality {municipality}, {period} (Source: Kolada, downloaded {downloaded})",
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
        "reason.no_report": "the data give no judgement of {id} (under reported:)",
        "reason.todo": "no rule is written yet (todo)",
        "reason.zero_divisor": "the figure divided by is 0, so the quotient cannot be computed",
        "reason.kolada_withheld": "Kolada does not show {kpi} for {municipality} {period} (..: too small a base)",
        "reason.kolada_missing": "Kolada has no {kpi} for {municipality} {period} (-)",
        "reason.kolada_not_applicable": "{kpi} does not apply to {municipality} {period} according to Kolada (.)",
        "reason.too_few_counted": "{whole} is fewer than {minimum} (the ruleset's minimum n), so the share is not shown",
        "reason.too_large": "{formula} is larger than any number a report can show",
        "reason.too_few_parts": "{assessed} parts assessed, the ruleset asks for at least {minimum}",
        "reason.no_band": "no band held",
        "term.area": "Area", "term.goal": "Goal", "term.indicator": "Indicator", "term.grade": "Judgement",
        "term.target": "Target", "term.weight": "Planned weight", "term.points": "Points",
        "term.value": "Most points",
                "report.indicator_no": "Ind no",
                "report.outcome": "Outcome", "report.outcome_text": "Outcome in words",
        "report.status": "Assessment", "report.summary": "Summary",
        "report.actual_weight": "Actual weight",
        "report.goals": "Goals", "report.indicators": "Indicators", "report.max": "Maximum value",
        "report.achieved": "Achieved value",         "report.difference": "Difference", "report.total": "Total",
        "report.explanation": "How it was computed", "report.override": "Manual decision",
        "report.reported_by": "Judged by {by}", "report.evidence": "evidence: {evidence}",
        "report.narrative": "Account",
        "report.note": "The ruleset's reading of its source", "report.margin": "within the margin of error",
        "report.margin_long": "The target lies inside the 95% confidence interval ({low}–{high}); "
                              "the outcome is not reliably different from the target.",
        "report.interval": "95% interval {low}–{high}, {n} answers",
        "report.too_few": "fewer than {minimum} answers",
        "report.bonus": "bonus", "report.bonus_row": "Bonus",
        "report.index_sentence": "{name} {index} is {diff} index points {word} than {target}.",
        "report.better": "better", "report.worse": "worse", "report.as_planned": "{name} {index}, as {target}.",
        "report.of": "of", "report.have_answered": "answered", "report.or": "or",
        "report.gap_sentence": "{first} and {second}; difference {gap}",
        "report.generated": "Computed by impactdsl from {ruleset}",
        "report.inputs": "Inputs (SHA-256)",
        "report.evaluated": "Evaluated {date} with impactdsl {version}", "report.page": "page",
        "report.target_column": "Target", "report.judgement": "Judgement",
        "report.per_unit": "{points} each, at most {cap}", "report.met_of": "{met} of {of} {status}",
        "report.unassessed_one": "1 indicator could not be assessed",
        "report.unassessed_many": "{count} indicators could not be assessed",
        "report.unassessed_points": " ({points} of {possible} {points_word})",
        "report.withheld": "not reported",
        "report.withheld_why": "{index} is not reported: {share} could not be assessed, the ruleset allows at most {limit}",
        "missing.no_answers": "no answers from {who}",
        "missing.too_few": "fewer than {minimum} answers from {who}",
        "missing.nobody": "no one in {who} answered",
        "report.judged_by": "judged by a person", "report.yes": "yes", "report.no": "no",
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
        "explain.override": "Manual decision: the outcome is set to {status} (computed: {computed}).",
        "explain.reason": "Reason: {reason}",
        "explain.note": "The ruleset's reading: {note}",
        "explain.reported_rule": "The status is judged by a person and given in the data under reported:.",
        "explain.todo_rule": "The rule is not written yet (todo): the indicator is not assessed and not in the maximum.",
        "explain.reported": "Reported status: {status}, not computed. {by}.",
        "explain.bonus_row": "Result: {status} — {points} bonus points (bonus never counts in the maximum).",
        "explain.result": "Result: {status} — {points} of {value} {points_word}.",
        "explain.status": "Result: {status}.",
        "explain.bonus": "Bonus: the outcome must be {criterion}: {answer}, {points} bonus points.",
        "explain.margin_more": "Margin: {count} more {what} (of the same {whole}) would have {verb} {goal}.",
        "explain.margin_fewer": "Margin: with {count} fewer {what} (of the same {whole}), {result}.",
        "explain.margin_met": "met", "explain.margin_crossed": "exceeded",
        "explain.margin_lost": "the requirement {goal} would not have been met",
        "explain.margin_gained": "the requirement would have been met",
        "explain.answers_in": "answers “{answers}”", "explain.answer_in": "answer “{answers}”",
        "explain.distance": "Distance to the limit: {distance}.",
        "explain.yes": "Yes", "explain.no": "No",
        "explain.header": "{kind} {id} ({goal_word} {goal}, {area_word} {area})",
        "explain.kind.indicator": "Indicator", "explain.kind.bonus": "Bonus",
        "explain.goal_points": "{achieved} of {maximum} points from {count} indicators:",
        "explain.area_max": "Maximum {maximum} points (the sum of the indicator values, without bonus).",
        "explain.area_achieved": "Achieved {achieved} points (bonus included).",
        "explain.area_index": "{name} {index} = {achieved}/{maximum} = {exact}, rounded to a whole percent.",
        "explain.goal_index": "{name} {index} = {good}/{assessed} goals assessed, rounded to a whole percent.",
        "explain.area_target": "{target_word} {target}: {text}",
        "explain.area_weight": "{weight_word} {planned}, actual share {actual} ({maximum} of {total} points).",
        "explain.band": "The outcome lies within the band for {status}: {band}.",
        "band.distance": "at most {amount} from the target", "band.distance.below": "at most {amount} below the target",
        "band.distance.above": "at most {amount} above the ceiling", "band.share": "at least {amount} of the target",
        "explain.area_counts": "{goals} goals, {indicators} indicators.",
        "explain.goal_line": "goal {id}: {achieved} of {maximum} points",
        "check.ok": "{path}: ok — {area_word}: {areas}, {goal_word}: {goals}, {indicator_word}: {indicators}",
        "test.ok": Counted("checked", "ok    {name} ({checked} figure as expected)",
                           "ok    {name} ({checked} figures as expected)"),
        "test.failed": Counted("checked", "FAIL  {name}: {count} of {checked} figure was not as expected",
                               "FAIL  {name}: {count} of {checked} figures were not as expected"),
        "test.broken": "FAIL  {name}: the test could not be run",
        "test.miss": "    {id} {field}: expected {expected}, got {got}",
        "test.summary": Counted("cases", "{cases} test, {failed} failed", "{cases} tests, {failed} failed"),
        "test.none": "{path} has no tests",
        "test.how": "write tests/NAME/expect.yaml (and tests/NAME/data/) beside the ruleset: see docs/tests.md",
        "test.coverage": Counted("of", "Coverage: the tests reached {reached} of {of} judgement",
                                 "Coverage: the tests reached {reached} of {of} judgements"),
        "test.never": "  {id}: reached {reached}; never {never}",
        "origin.from": "The indicator comes from {peer}.",
        "origin.target": " (set here; {peer} has {old})",
        "origin.points": "The points are set here; {peer} has {old}.",
        "origin.text": "The text is written here; {peer} has: “{old}”",
        "origin.map": "{peer}'s {kind} {old} is read here as {new}.",
        "origin.kind.question": "question", "origin.kind.group": "group", "origin.kind.count": "count",
        "origin.kind.fact": "fact",
        "grade.line": "{word}: {grade}",
        "grade.decided": "Decided by {ids}.",
        "grade.not_assessed": "Not assessed: {assessed} of {parts} parts were assessed; the ruleset asks for at "
                              "least {minimum}.",
        "grade.no_band": "None of the bands held.",
        "grade.judged": "Judged by a person: {reason} (the bands gave: {computed}).",
        "grade.step": "{grade}: {conditions}? {answer}",
        "grade.otherwise": "{grade}: otherwise.",
        "grade.and": " and ",
        "grade.cond.share_short": "every share goal at most {amount} short of its target",
        "grade.cond.part_short": "every goal at most {amount} short of its target",
        "grade.cond.all": "all {status}", "grade.cond.none": "none {status} or worse",
        "grade.cond.at_least": "at least {amount} {status}", "grade.cond.by_points": " (by points)",
        "grade.found.count": "{found} of {of}", "grade.found.share": "{found}",
        "grade.found.short": "furthest: {shortfall}", "grade.found.none": "nothing to read",
        "grade.tried": "{condition}: {answer} ({found}{ids})",
        "table.rest": "other/not stated",
        "table.hidden": "{marker}: not shown, fewer than {minimum} people or so that it could otherwise be worked out",
        "op.>=": "at least", "op.<=": "at most", "op.>": "more than", "op.<": "less than", "op.=": "equal to",
        "op.between": "between {low} and {high} (both included)",
        "op.within-target": "at most {distance} from the target {target}",
        "op.closer-than-target": "less than {distance} from the target {target}",
    },
}


TERMS = {"report.area": Term.AREA, "report.goal": Term.GOAL, "report.indicator": Term.INDICATOR,
         "report.grade": Term.GRADE, "report.target": Term.TARGET, "report.planned_weight": Term.WEIGHT,
         "report.points": Term.POINTS, "report.value": Term.VALUE}     # frame words the ruleset may name


class Words:
    """The words and number formats of one language, and the ruleset's own words for its method
    (its parts, statuses, grades and index): `say("report.area")` is what the ruleset calls an
    area, `say.status("delvis")` its words for that status. A plain class: made on every run,
    it costs nothing to define."""

    __slots__ = ("lang", "method")

    def __init__(self, lang: str, method=None):
        self.lang = Lang(lang)
        self.method = method

    def __call__(self, key: str, **values) -> str:
        if key in TERMS:
            return self.term(TERMS[key])
        if key == "report.index":
            return self.index_name
        return WORDS[self.lang][key].format(**values)

    def frame(self, prefix: str) -> dict[str, str]:
        """Every word under `prefix` ("report."), by the rest of its key: what a template reads."""
        words = {key[len(prefix):]: text for key, text in WORDS[self.lang].items() if key.startswith(prefix)}
        if prefix == "report.":
            words |= {key[len(prefix):]: self(key) for key in (*TERMS, "report.index")}
        return words

    def term(self, term: str) -> str:
        """The ruleset's word for a part of its method (`call area "Insats"`), else the neutral one."""
        word = self.method.word(term) if self.method is not None else None
        if word is None:
            return WORDS[self.lang]["term." + term]
        return word.english if self.lang == Lang.EN and word.english else word.text

    @property
    def index_name(self) -> str:
        rule = self.method.index if self.method is not None else None
        if rule is None:
            return ""
        return rule.english if self.lang == Lang.EN and rule.english else rule.name

    def status(self, name: str | None) -> str:
        """A status's or grade's words: the ruleset's for its statuses, a grade's own name, or
        the not-assessed status's words for None."""
        if self.method is None:
            return name or ""
        level = self.method.status(name) if name is not None else self.method.role(Status.NOT_ASSESSED)
        return level.words(self.lang) if level is not None else name

    def colour(self, name: str | None) -> str:
        """A status's colour ("#rrggbb"); a grade of its own is shown in the neutral grey."""
        level = None
        if self.method is not None:
            level = self.method.status(name) if name is not None else self.method.role(Status.NOT_ASSESSED)
        return level.colour if level is not None else "#5f6b7a"

    def role(self, name: str | None) -> str:
        level = self.method.status(name) if self.method is not None and name is not None else None
        return level.role if level is not None else Status.NOT_ASSESSED

    def number(self, value, decimals: int = 1) -> str:
        return formats.number(value, self.lang, decimals)

    def percent(self, value, decimals: int = 1) -> str:
        return formats.percent(value, self.lang, decimals)

    def signed(self, value) -> str:
        return formats.signed(value, self.lang)

    def value(self, value, unit: str) -> str:
        return formats.value(value, unit, self.lang)

    def reported(self, report) -> str:
        """Who judged a reported status, when and on what: 'Bedömd av styrelsen 2023-12-14; underlag: ...'."""
        said = self("report.reported_by", by=report.by) + (f" {report.date}" if report.date else "")
        return said + (f"; {self('report.evidence', evidence=report.evidence)}" if report.evidence else "")

    def unassessed(self, missing, has_points: bool) -> str:
        """'2 indikatorer kunde inte bedömas (42 av 244 poäng): svar från personalen saknas (3.2.1, 3.2.4)',
        the reasons grouped (a survey's questions under the survey), or '' when all could be."""
        if not missing.indicators:
            return ""
        count = len(missing.indicators)
        said = self("report.unassessed_one") if count == 1 else self("report.unassessed_many", count=count)
        if has_points:
            said += self("report.unassessed_points", points=missing.points, possible=missing.possible,
                         points_word=self("report.points").lower())
        groups: dict[str, list[str]] = {}
        for r in missing.indicators:
            groups.setdefault(self.missing_reason(r), []).append(r.id)
        return said + ": " + "; ".join(f"{why} ({', '.join(ids[:5])}{', …' if len(ids) > 5 else ''})"
                                       for why, ids in groups.items())

    def missing_reason(self, r) -> str:
        """Why an indicator is not assessed, as the headline groups it: a survey by its group, not by
        each question; a status reported as not assessed by the status itself."""
        if r.reason is None:
            return self.status(r.status)
        key, args = r.reason
        if f"missing.{key}" in WORDS[self.lang]:
            return self("missing." + key, **dict(args))
        return self.reason(r.reason)

    def withheld(self, missing, limit) -> str:
        share = missing.share * 100
        return self("report.withheld_why", index=self.index_name,
                    share=self.percent(share, 0), limit=self.percent(limit, 0))

    def reason(self, reason) -> str:
        """Why an indicator was not assessed: (words key, arguments) as a sentence."""
        key, args = reason
        return self("reason." + key, **dict(args))

    def trace(self, item) -> tuple[str, str]:
        """A traced number as (what it is, its value as shown)."""
        args = dict(item.args)
        if item.unit == "too-few":
            return self("trace.answered", **args), self("trace.too_few", minimum=args["minimum"])
        if item.unit == "too-few-rows":                    # a small number of rows passed over: not said
            return self("trace.left_out", **args), self("trace.too_few", minimum=args["minimum"])
        if "labels" in args:                               # answers in the board member's words, not "top2"
            args["answers"] = self.answers(args.pop("labels").split("\n"))
        return self("trace." + item.key, **args), self.value(item.value, item.unit)

    def answers(self, labels) -> str:
        """A set of answers as a board member reads it: their labels joined with 'eller' ("till mycket
        stor del eller till stor del")."""
        return f" {self('report.or')} ".join(lower_first(label) for label in labels)


def lower_first(text: str) -> str:
    """A word or label set inside a sentence: its first letter small ("Uppfyllt" → "uppfyllt")."""
    return text[:1].lower() + text[1:]
