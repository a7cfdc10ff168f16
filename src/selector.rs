//! Label selectors (string and structured forms) and field selectors, shared by the engine and the sandbox.
