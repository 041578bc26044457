"""claimflow inside other tools: the spaCy component ``claimflow_claims`` (``spacy_pipe``).

Nothing is imported here, so that spaCy, which imports every ``spacy_factories`` entry
point whenever it creates a pipeline, loads only the small ``spacy_pipe`` module.
"""
