# This protocol's recipes with a standalone libFuzzer target, dfrace_fuzz_<recipe> (fuzz/CMakeLists.txt; every other
# recipe is fuzzed by dfrace_fuzz_generic and dfrace-fuzz), and of those the ones continuous fuzzing ships
# (.clusterfuzzlite/build.sh): claimed correct, so a crash there is a finding. The buggy recipes' targets find their
# bugs within seconds by design; `dfrace check` covers them. Read by the top-level CMakeLists.txt.
set(protocol_fuzz_targets posted_v2 reply_fix complete_fix wmb_rmb)
set(protocol_continuous_fuzz_targets complete_fix wmb_rmb)
