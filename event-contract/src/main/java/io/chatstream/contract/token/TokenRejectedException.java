package io.chatstream.contract.token;

/** A token that does not grant what was asked; the message is safe to show to the client. */
public class TokenRejectedException extends Exception {

    public TokenRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
