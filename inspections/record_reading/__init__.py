"""Record reading: the sample of records an inspection reads against its programme's record
review template, each reader's answers, and the results (totals and percentages per question).

Record reading is unpublished evidence: only team members cleared to see the inspection's
evidence see the sample, the answers and the results; anyone else gets a 404."""
