package org.okrtrl.cli;

/** Input that cannot be used; the message names the field and what is wrong with it. */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }
}
