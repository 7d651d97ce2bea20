"""The ledger (台账): import and export in .jsonl, .csv and .xlsx, the template, lenient values, spreadsheet safety."""
