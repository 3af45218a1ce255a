# Multi-stage build of the REST API (an Orleans client in cluster mode); build from the repository root:
#   docker build -f deploy/docker/Api.Dockerfile -t trading-orleans/api .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Client.Api/Client.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /home/app/state && chown app:app /home/app/state
USER app
ENV Trading__Cluster__Mode=Cluster \
    Trading__Api__LocalAdminKeyFile=/home/app/state/admin-api-key \
    Urls=http://0.0.0.0:5080
EXPOSE 5080
HEALTHCHECK --interval=10s --timeout=5s --retries=6 CMD ["dotnet", "TradingOrleans.Client.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "TradingOrleans.Client.Api.dll"]
