# This protocol's recipes with a standalone libFuzzer target, dfrace_fuzz_<recipe> (fuzz/CMakeLists.txt), and of
# those the ones continuous fuzzing ships (.clusterfuzzlite/build.sh). None: its recipes are fuzzed by
# dfrace_fuzz_generic and dfrace-fuzz, and checked by `dfrace check`. Read by the top-level CMakeLists.txt.
set(protocol_fuzz_targets)
set(protocol_continuous_fuzz_targets)
