#!/usr/bin/env bash
# Uploads a plugin bundle to a Mattermost server and enables it, then waits
# until the server reports it running.
#   MM_SITE_URL   the server, e.g. http://127.0.0.1:8065
#   MM_ADMIN_TOKEN  a system admin's session or personal access token
#   build/deploy.sh dist/readreceipts-<version>.tar.gz
set -euo pipefail
bundle=${1:?usage: deploy.sh BUNDLE}
: "${MM_SITE_URL:?set MM_SITE_URL}" "${MM_ADMIN_TOKEN:?set MM_ADMIN_TOKEN}"
root=$(cd "$(dirname "$0")/.." && pwd)
id=$(cd "$root" && go run ./build/manifest id)
auth=(-H "Authorization: Bearer $MM_ADMIN_TOKEN" -H "X-Requested-With: XMLHttpRequest")

curl -fsS "${auth[@]}" -F "plugin=@$bundle" -F force=true "$MM_SITE_URL/api/v4/plugins" >/dev/null
curl -fsS "${auth[@]}" -X POST "$MM_SITE_URL/api/v4/plugins/$id/enable" >/dev/null
for _ in $(seq 1 60); do
	state=$(curl -fsS "${auth[@]}" "$MM_SITE_URL/api/v4/plugins/statuses" |
		python3 -c "import json,sys; print(next((s['state'] for s in json.load(sys.stdin) if s['plugin_id']=='$id'), -1))")
	if [[ "$state" == 2 ]]; then
		echo "plugin $id is running on $MM_SITE_URL"
		exit 0
	fi
	sleep 0.5
done
echo "plugin $id did not start (state $state); see the server log" >&2
exit 1
