//! Export: customers, visits, complaints with their log, and reminders to .xlsx or .csv.
