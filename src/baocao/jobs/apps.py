from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "baocao.jobs"
    verbose_name = "Việc nền"
    default_auto_field = "django.db.models.BigAutoField"
