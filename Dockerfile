# The Journeys service image: one image, several roles chosen by the command.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY services services
COPY projections projections
COPY adapters adapters
# Not bench/: the benchmarks are the top layer, run from a checkout (`journeys-bench`), and
# nothing below them imports them (tests/integration/test_image_without_bench.py).
RUN pip install --no-cache-dir .
USER nobody
ENTRYPOINT ["journeys"]
CMD ["--help"]
