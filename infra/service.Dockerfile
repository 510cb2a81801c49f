# One multi-stage build for each of the three services: `--build-arg SERVICE=CommandService` (or QueryService,
# NotificationService). Built with the SDK image, run on the ASP.NET runtime image as its non-root user.
ARG SERVICE=CommandService

FROM mcr.microsoft.com/dotnet/sdk:10.0.100 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN dotnet publish "services/${SERVICE}" -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0 AS run
ARG SERVICE
ENV SERVICE_DLL=${SERVICE}.dll \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=0
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080
# The runtime image has bash but no curl: ask the readiness endpoint over /dev/tcp.
HEALTHCHECK --interval=5s --timeout=3s --retries=12 CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_DLL\""]
