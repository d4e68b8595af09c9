import TestSupport

/// The client tests' sandbox: TestSupport's ``TestSandbox`` (one sandbox harness for every test target).
typealias ClientSandbox = TestSandbox
