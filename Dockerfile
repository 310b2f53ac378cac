# One image for every tlswatch service: `docker run tlswatch validator|collector|streams|notifier|kafka|licenses`.
# Build stage: the same Maven build as CI, tests skipped (CI runs them); the launcher jar and its lib/ are the product.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY contract/pom.xml contract/
COPY http/pom.xml http/
COPY tlsserver/pom.xml tlsserver/
COPY devkafka/pom.xml devkafka/
COPY validator/pom.xml validator/
COPY collector/pom.xml collector/
COPY streams/pom.xml streams/
COPY notifier/pom.xml notifier/
COPY client/pom.xml client/
COPY dashboards/pom.xml dashboards/
COPY launcher/pom.xml launcher/
# Dependencies first, so that a source change does not download them again.
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=tlswatch-contract,tlswatch-http,tlswatch-tlsserver,tlswatch-devkafka,tlswatch-validator,tlswatch-collector,tlswatch-streams,tlswatch-notifier,tlswatch-client || true
COPY . .
RUN mvn -B -q -DskipTests -Dmaven.test.skip.exec=true package -pl launcher -am

FROM eclipse-temurin:17-jre
# curl for the compose health checks against each service's admin port.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /var/lib/tlswatch --create-home tlswatch
# Owned by the service user, so that named volumes mounted here (docker-compose.yml) start writable.
RUN install -d -o tlswatch -g tlswatch /var/lib/tlswatch/certs /var/lib/tlswatch/streams
COPY --from=build /src/launcher/target/tlswatch.jar /opt/tlswatch/tlswatch.jar
COPY --from=build /src/launcher/target/lib /opt/tlswatch/lib
USER tlswatch
WORKDIR /var/lib/tlswatch
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/tlswatch/tlswatch.jar"]
CMD ["--help"]
