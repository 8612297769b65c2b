"""Reading and checking reports written outside baocao: text, Word, Excel and PDF files.

The readers, the mapping onto a definition and the checks are plain Python (no Django); ``views`` and
``urls`` are the web page that uploads a file and imports it as a draft.
"""
