"""The lessons: one package per lesson (lessonNN_topic), each with lesson.toml, notes, tasks and scenario."""
