#!/usr/bin/env bash
# Builds fpipe as one native executable (Native AOT: no .NET runtime needed to run it, start-up in
# milliseconds) and installs it as $PREFIX/bin/fpipe (default /usr/local/bin/fpipe).
#
#   sudo ./install.sh            # or: PREFIX=$HOME/.local ./install.sh
#   FPIPE_PORTABLE=1 ./install.sh  # for any x86-64 CPU (to copy elsewhere), not only ones like this machine's
#
# Needs the .NET 10 SDK and a C toolchain for the native link (Debian: clang or gcc, zlib1g-dev); the
# ILCompiler packages come from NuGet like any other package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-/usr/local}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "install.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
# The ILCompiler links with clang when it finds one, else with gcc; Debian names clang clang-NN.
linker=()
if ! command -v clang >/dev/null; then
  if command -v gcc >/dev/null; then
    linker=(-p:CppCompilerAndLinker=gcc)
  else
    echo "install.sh: no C compiler for the native link (apt-get install clang zlib1g-dev)" >&2; exit 1
  fi
fi
# The binary is built for the machine that installs it. Where its CPU has AVX2 and the rest of x86-64-v3, the compiler
# may use them in all code, not only where .NET checks at run time: Vector256 is then hardware-accelerated, and XXH3
# (the checksums of today's partclone images) costs about a third less CPU (docs/performance.md).
isa=()
if [ "$rid" = linux-x64 ] && [ -z "${FPIPE_PORTABLE:-}" ]; then
  v3=1
  for flag in avx2 bmi1 bmi2 fma movbe f16c abm; do grep -qw "$flag" /proc/cpuinfo || v3=0; done
  [ "$v3" = 1 ] && isa=(-p:IlcInstructionSet=x86-64-v3)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish "$here/src/ForensicPipe.Cli" -c Release -r "$rid" -o "$out" -nologo -v q "${linker[@]}" "${isa[@]}"
install -D -m 0755 "$out/fpipe" "$prefix/bin/fpipe"
echo "installed $prefix/bin/fpipe ($("$prefix/bin/fpipe" --version))"
