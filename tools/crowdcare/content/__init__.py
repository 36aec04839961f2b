"""Content on disk and what the steps are given: crowdcare.yml (config), kb/ and ideas/ (store, frontmatter, schema,
rules, validate, documents, fields), the response ledger and vote history (ledger), and the ports (Protocols) to
GitHub and the repository."""
