/** The shortest password accepted, in characters (code points); the server answers `weak_password` below it. */
export const MIN_PASSWORD_LENGTH = 10;
