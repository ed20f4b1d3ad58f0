//! Import customers from a file: preview, mapping, duplicates, a dry run, one transaction, undo.
