# The Journeys service image: one image, several roles chosen by the command.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY services services
COPY projections projections
COPY adapters adapters
RUN pip install --no-cache-dir .
USER nobody
ENTRYPOINT ["journeys"]
CMD ["--help"]
