from django.db import models


class Report(models.Model):
    """Something slow to make: the web request creates the row, a worker builds it."""
    title = models.CharField(max_length=200)
    pages = models.PositiveIntegerField(default=5)
    status = models.CharField(max_length=20, default="queued")   # queued -> building -> done
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.title} ({self.status})"
