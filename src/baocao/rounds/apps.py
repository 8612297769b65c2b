from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "baocao.rounds"
    verbose_name = "Kỳ báo cáo"
