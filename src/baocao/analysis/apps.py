from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "baocao.analysis"
    verbose_name = "Tổng hợp, phân tích"
