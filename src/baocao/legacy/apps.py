from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "baocao.legacy"
    verbose_name = "Kiểm tra báo cáo cũ"
