"""Case files: the contract as data (schema), reading and validating YAML (loader), ``--set``
(overrides), the evidence a question reads (evidence) and finding the files a question names
(question)."""
