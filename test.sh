#!/usr/bin/env bash
# The README's test command, and what CI runs (.ci/run calls it): installs what the tests need from Debian's
# packages when it is missing, checks the deployment files, then runs every test. Arguments go to `dotnet test`
# (e.g. ./test.sh --filter "FullyQualifiedName~Risk").
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
dotnet --version

# No service needs to be running: embedded state is SQLite (in-process), Kafka is librdkafka's built-in mock
# cluster (inside the Confluent.Kafka package), the Binance peer is a local server the tests start, and the tests
# start their own Redis, Prometheus and Alertmanager on 127.0.0.1 with temp data folders, stopping them by PID.
#   prometheus          promtool checks the config and rules; a test scrapes the API with a real Prometheus
#   prometheus-alertmanager
#                       amtool checks deploy/alertmanager; a test sends an alert through a real Alertmanager
#   redis-server        the cluster tests' Redis (clustering, grain state, reminders)
#   python3-statsmodels the published datasets and independent implementation the cointegration tests compare with
#                       (run by /usr/bin/python3, Debian's interpreter)
#   python3-sklearn     the independent implementation the confidence-calibration tests compare with (isotonic
#                       regression, reliability bins), run the same way
#   python3-pandas      the independent implementation the backtest-metrics tests compare with (resampled returns,
#                       drawdown, round trips), run the same way
#   docker-compose      `config` validates deploy/docker-compose.yml (no container engine needed)
#   yamllint            lints deploy/
#   chromium-headless-shell
#                       opens the backtest report headless and checks every chart rendered (--dump-dom)
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
{ command -v prometheus-alertmanager && command -v amtool; } >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
[ -x /usr/bin/chromium-headless-shell ] || [ -x /usr/bin/chromium ] || missing+=(chromium-headless-shell)
[ -f /usr/lib/python3/dist-packages/statsmodels/__init__.py ] || missing+=(python3-statsmodels)
[ -f /usr/lib/python3/dist-packages/sklearn/__init__.py ] || missing+=(python3-sklearn)
[ -f /usr/lib/python3/dist-packages/pandas/__init__.py ] || missing+=(python3-pandas)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages the tests need)"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Install as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The deployment files: --syntax-only because the API key file the config points at exists only where Prometheus runs.
promtool check config --syntax-only deploy/prometheus/prometheus.yml >/dev/null
promtool check config --syntax-only deploy/prometheus/prometheus.compose.yml >/dev/null
promtool check rules deploy/prometheus/alerts.yml >/dev/null
amtool check-config deploy/alertmanager/alertmanager.yml >/dev/null
docker-compose -f deploy/docker-compose.yml config -q
yamllint -c deploy/.yamllint deploy/k8s deploy/docker-compose.yml deploy/prometheus deploy/alertmanager deploy/grafana/provisioning
echo "deploy/: Prometheus config and rules, Alertmanager config, compose file and YAML lint pass"

dotnet test TradingOrleans.sln "$@"
