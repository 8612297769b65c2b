"""The framework-free core: definitions, formulas, evaluation, rules and Vietnamese numbers.

Nothing here imports Django or anything above it; everything above calls into it.
"""
