#!/usr/bin/env bash
# Regenerates the rpm database fixtures with the real tools (not run by the tests):
#   apt-get install rpm db5.3-util sqlite3
# Two tiny packages are built with rpmbuild and installed with rpm into a
# fresh SQLite database; the Berkeley DB file is written by libdb's own
# db_load from the same header blobs. Debian's rpm cannot write NDB, so the
# NDB test lays the same blobs out itself (rpm_test.go).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{SPECS,SOURCES,BUILD,RPMS,SRPMS}
spec() { # name version release epoch license requires
  cat > "$work/SPECS/$1.spec" <<SPEC
Name: $1
Version: $2
Release: $3
${4:+Epoch: $4}
Summary: shipshape test package $1
License: $5
Vendor: shipshape tests
BuildArch: x86_64
${6:+Requires: $6}
%description
Test package.
%install
mkdir -p %{buildroot}/usr/share/$1
echo $1 > %{buildroot}/usr/share/$1/README
%files
/usr/share/$1/README
SPEC
  rpmbuild --quiet --define "_topdir $work" --define '_build_id_links none' -bb "$work/SPECS/$1.spec"
}
spec libdemo 1.2.3 4.el9 "" "MIT" ""
spec demotool 2.0 1.el9 1 "GPL-2.0-or-later AND MIT" "libdemo"
db="$work/db"; mkdir -p "$db"
rpm --dbpath "$db" --define "_db_backend sqlite" --initdb
rpm --dbpath "$db" --define "_db_backend sqlite" -i --nodeps --justdb --noscripts "$work"/RPMS/x86_64/*.rpm
rpm --dbpath "$db" --define "_db_backend sqlite" -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE}\n' | sort
cp "$db/rpmdb.sqlite" "$here/rpmdb.sqlite"
# Berkeley DB: a hash database of (record number -> header blob), as rpm 4.x wrote it.
{
  printf 'VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n'
  sqlite3 "$here/rpmdb.sqlite" "SELECT printf(' %08x', hnum), ' ' || hex(blob) FROM Packages ORDER BY hnum" |
    tr 'A-F' 'a-f' | tr '|' '\n'
  printf 'DATA=END\n'
} > "$work/dump.txt"
rm -f "$here/Packages"
db5.3_load -f "$work/dump.txt" "$here/Packages"
ls -l "$here"
