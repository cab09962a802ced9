// A minimal test harness: TEST(name) registers a function; CHECK fails it.
#pragma once

#include <cstdio>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace voltlab::test {

struct Case {
  const char* name;
  std::function<void()> body;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

struct Registrar {
  Registrar(const char* name, std::function<void()> body) {
    registry().push_back({name, std::move(body)});
  }
};

class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace voltlab::test

#define VOLTLAB_CAT2(a, b) a##b
#define VOLTLAB_CAT(a, b) VOLTLAB_CAT2(a, b)
#define TEST(name)                                                                   \
  static void VOLTLAB_CAT(test_, name)();                                            \
  static ::voltlab::test::Registrar VOLTLAB_CAT(registrar_, name)(#name,             \
                                                                 VOLTLAB_CAT(test_, name)); \
  static void VOLTLAB_CAT(test_, name)()

#define CHECK(cond)                                                                       \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::ostringstream where_;                                                          \
      where_ << __FILE__ << ":" << __LINE__ << ": CHECK(" #cond ") failed";               \
      throw ::voltlab::test::Failure(where_.str());                                       \
    }                                                                                     \
  } while (0)

#define CHECK_MSG(cond, msg)                                                              \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::ostringstream where_;                                                          \
      where_ << __FILE__ << ":" << __LINE__ << ": " << msg;                               \
      throw ::voltlab::test::Failure(where_.str());                                       \
    }                                                                                     \
  } while (0)

// Runs `body`, expects an exception of type E whose message contains `needle`.
#define CHECK_THROWS(E, needle, body)                                                     \
  do {                                                                                    \
    bool thrown_ = false;                                                                 \
    try {                                                                                 \
      body;                                                                               \
    } catch (const E& e_) {                                                               \
      thrown_ = true;                                                                     \
      CHECK_MSG(std::string(e_.what()).find(needle) != std::string::npos,                 \
                "message '" << e_.what() << "' lacks '" << needle << "'");                \
    }                                                                                     \
    CHECK_MSG(thrown_, "expected " #E " from " #body);                                    \
  } while (0)
