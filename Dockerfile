# The course's worker image (docker-compose.yml, service "worker"): the course's requirements and code,
# run as an ordinary user. Build and scale it with:
#   docker compose --profile workers up --build --scale worker=3
FROM python:3.11-slim
WORKDIR /course
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY classroom classroom
COPY lessons lessons
RUN useradd --create-home course
USER course
CMD ["celery", "-A", "lessons.lesson11_scaling.tasks", "worker", "-l", "info", "-Q", "scale-out", "-c", "1"]
