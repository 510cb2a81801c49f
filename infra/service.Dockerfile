# One multi-stage build for each of the three services: `--build-arg SERVICE=CommandService` (or QueryService,
# NotificationService). Built with the SDK image, run on the ASP.NET runtime image as its non-root user.
# The images follow the 10.0 line (the newest SDK and runtime servicing release), which global.json's feature band and
# the runtime the project is tested on belong to.
ARG SERVICE=CommandService

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
# Restore in its own layer: it is cached until a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY contracts/Accounts.Contracts.csproj contracts/
COPY services/Accounts.Domain/Accounts.Domain.csproj services/Accounts.Domain/
COPY services/CommandService/CommandService.csproj services/CommandService/
COPY services/EventStore/EventStore.csproj services/EventStore/
COPY services/EventStore.EventStoreDb/EventStore.EventStoreDb.csproj services/EventStore.EventStoreDb/
COPY services/Messaging/Messaging.csproj services/Messaging/
COPY services/NotificationService/NotificationService.csproj services/NotificationService/
COPY services/QueryService/QueryService.csproj services/QueryService/
COPY services/ServiceDefaults/ServiceDefaults.csproj services/ServiceDefaults/
RUN dotnet restore "services/${SERVICE}"
COPY . .
RUN dotnet publish "services/${SERVICE}" -c Release -o /app --nologo --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS run
ARG SERVICE
# The image already listens on ASPNETCORE_HTTP_PORTS=8080; setting ASPNETCORE_URLS as well makes Kestrel warn.
ENV SERVICE_DLL=${SERVICE}.dll \
    DOTNET_gcServer=0
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080
# The runtime image has bash but no curl: ask the readiness endpoint over /dev/tcp.
HEALTHCHECK --interval=5s --timeout=3s --retries=12 CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_DLL\""]
