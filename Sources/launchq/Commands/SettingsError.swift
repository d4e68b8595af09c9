/// A setting that is missing or wrong at run time: in the environment, or in a file a setting names.
///
/// ArgumentParser prints it as `Error: <message>` and exits with status 1. (A `ValidationError` is for the command
/// line itself: it prints the usage and exits 64.) The message never holds a secret's value.
struct SettingsError: Error, CustomStringConvertible {
    enum Code: String {
        /// A required setting has no value (`WANDB_BASE_URL`, `DATABASE_URL` for `serve`).
        case missing
        /// A setting has a value launchq cannot use.
        case invalid
        /// Both `NAME` and `NAME_FILE` are set.
        case conflicting
        /// A file a setting names cannot be read, or is empty.
        case unreadableFile
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
