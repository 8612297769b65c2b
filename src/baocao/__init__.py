"""baocao: periodic administrative-reform (CCHC) reports for Vietnamese local government."""

__version__ = "0.1.0"
