"""The report: findings, evaluations with moderation, the factual accuracy check and the
published versions. Services write (audited, permission-checked), selectors read (through the
policies here), gates guard report drafting and publication, and pages and API call them."""
