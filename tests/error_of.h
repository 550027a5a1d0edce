#pragma once
// error_of(f): runs f and returns the message of the d2l::Error it throws; a test failure
// (and "") if it throws nothing or something else.
#include <gtest/gtest.h>

#include <exception>
#include <string>

#include "d2l/error.h"

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const d2l::Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a non-d2l exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected a d2l::Error";
  return "";
}
