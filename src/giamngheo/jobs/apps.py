import sys

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "giamngheo.jobs"
    label = "jobs"
    verbose_name = _("Công việc chạy nền")

    def ready(self) -> None:
        # Every installed app may register job kinds in its ``job_kinds`` module (this app's demo too).
        autodiscover_modules("job_kinds")
        from giamngheo.jobs.services import worker_mode
        from giamngheo.jobs.worker import serving_with_runserver, start_worker_thread

        if worker_mode() == "thread" and serving_with_runserver(sys.argv):
            start_worker_thread()
