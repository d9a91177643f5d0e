#!/usr/bin/env bash
# Installs what the tests and the demo need on a fresh Debian machine (run as root).
#   git, git-lfs            real git for clones, http-backend, mirror sync
#   openssh-server/client   real sshd instances in the emulated topology, ssh-keygen for keys
#   gnome-keyring, dbus*    a real Secret Service for keytar, in a private D-Bus session
#   libsecret-1-dev         keytar builds from source against it
#   chromium                the UI tests drive Debian's Chromium through playwright-core
#   xvfb                    a headed window when wanted (xvfb-run)
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then exec sudo bash "$0" "$@"; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq \
  git git-lfs openssh-server openssh-client \
  gnome-keyring dbus dbus-x11 libsecret-1-dev \
  chromium xvfb ca-certificates procps >/dev/null

# sshd needs its privilege-separation directory; the emulated servers log users in as `git`.
mkdir -p -m 0755 /run/sshd
if ! id git >/dev/null 2>&1; then
  useradd --system --create-home --home-dir /var/lib/mirror-clone-git --shell /bin/sh git
fi
# A locked password ('!') makes sshd refuse even key logins; '*' means "no password, keys only".
usermod -p '*' git
