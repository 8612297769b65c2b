"""Digital signatures (ký số): the sent report as a signed PDF/A, stored immutably, verifiable by anyone.

Pure Python (no Django): ``pki`` (the demo's CA), ``keys`` (PKCS#12 and PKCS#11 behind one interface),
``layout`` (where the signatures go, read from the PDF), ``appearance``, ``pades`` (signing), ``trust`` and
``verify``. Django: ``models`` (keys, seal keepers, signed copies), ``services`` (``report_sign_and_send``,
the official copy), ``views``, ``demo``.
"""
