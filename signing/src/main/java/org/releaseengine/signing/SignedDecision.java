package org.releaseengine.signing;

/**
 * A decision as its author signed it: the payload (what, on which release or environment, which
 * digest, when, a single-use request id) and the SSHSIG signature over its canonical text
 * (docs/signing.md). The comment is not signed; it is kept beside the decision. Recorded in history
 * as the update's input, so anyone holding the allowed_signers file can check later who decided
 * what ({@code release-cli verify}).
 */
public record SignedDecision(DecisionPayload payload, String signature, String comment) {}
