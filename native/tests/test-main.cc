// Runs every registered test; exits non-zero if one fails.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>

#include "tests/test-harness.h"

int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : nullptr;
  int failed = 0, run = 0;
  const auto started = std::chrono::steady_clock::now();
  for (const auto& c : voltlab::test::registry()) {
    if (filter && std::strstr(c.name, filter) == nullptr) continue;
    ++run;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      c.body();
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::printf("ok    %s (%.0f ms)\n", c.name, ms);
    } catch (const std::exception& e) {
      ++failed;
      std::printf("FAIL  %s\n      %s\n", c.name, e.what());
    }
  }
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%d/%d passed in %.1f s\n", run - failed, run, s);
  return failed == 0 && run > 0 ? 0 : 1;
}
