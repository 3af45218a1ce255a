# Multi-stage build of the headless silo; build from the repository root:
#   docker build -f deploy/docker/Silo.Dockerfile -t trading-orleans/silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Silo.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY data /app/data
# The image's unprivileged user; state lives in a volume it owns (a new named volume copies this ownership).
RUN mkdir -p /home/app/state && chown app:app /home/app/state
USER app
# A 256 MB gen-0 budget: a few longer collections instead of one every second (docs/performance.md, "The gen-0 budget").
ENV DOTNET_GCgen0size=0x10000000 \
    Trading__Replay__DataDirectory=/app/data/binance-usdt-2021-5m \
    Trading__Storage__SqlitePath=/home/app/state/trading.db \
    Trading__Audit__Path=/home/app/state/audit.jsonl \
    Urls=http://0.0.0.0:9091
EXPOSE 9091 11111 30000
HEALTHCHECK --interval=10s --timeout=5s --retries=6 CMD ["dotnet", "TradingOrleans.Silo.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "TradingOrleans.Silo.dll"]
