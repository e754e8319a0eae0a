# syntax=docker/dockerfile:1
# The optin image: the production command (server/target/optin-server.jar, no Kafka broker inside),
# built from this repository, run as a non-root user. docker-compose.yml and docs/deploy.md use it.
#
#   docker build -t optin:local .
#   docker run --rm optin:local --help
#
# Not built by this repository's CI (no Docker engine there): server's DeploymentFilesTest checks
# this file's structure, the jar path and the state directory against docker-compose.yml.

# --- build: the lean production jar --------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven cache is kept between builds; tests are the CI's job, not the image's.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl server -am -DskipTests package \
 && cp server/target/optin-server.jar /optin-server.jar

# --- runtime: a JRE, the jar, a writable state directory -----------------------------------------
FROM eclipse-temurin:17-jre
# curl answers the healthchecks (GET /health/ready) of docker-compose.yml.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 optin \
 && useradd --system --uid 10001 --gid optin --home-dir /var/lib/optin --shell /usr/sbin/nologin optin \
 && mkdir -p /var/lib/optin/state \
 && chown -R optin:optin /var/lib/optin \
 && chmod 0700 /var/lib/optin /var/lib/optin/state
COPY --from=build /optin-server.jar /opt/optin/optin-server.jar
# The Kafka Streams state stores (rebuilt from their changelogs when lost, faster when kept).
ENV OPTIN_STREAMS_STATE_DIR=/var/lib/optin/state
VOLUME ["/var/lib/optin"]
WORKDIR /var/lib/optin
USER optin:optin
EXPOSE 8080
# JAVA_TOOL_OPTIONS adds JVM flags (heap, GC) without changing the entrypoint.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/optin/optin-server.jar"]
CMD ["run", "all"]
