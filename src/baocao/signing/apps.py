from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "baocao.signing"
    verbose_name = "Ký số"
