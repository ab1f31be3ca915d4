"""Stage 1, read: opening the files a user names, safely (regular files only, within the folders
allowed, within their size limits), YAML without its dangerous parts, and the content-keyed cache.

May import: `core`."""
