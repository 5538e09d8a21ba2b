package io.pgforce.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A mapping file's bytes as UTF-8 text. A file saved as UTF-16 (some Windows editors do) or one
 * that is not text at all is told as such, where the decoder alone would only say
 * "Input length = 1".
 */
final class Utf8Text {

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final String HOLDS_NUL = "the file is not UTF-8 text (it holds NUL characters: UTF-16 or binary?)";

    private Utf8Text() {
    }

    /** The text, without a UTF-8 byte order mark, or why the bytes are not UTF-8 text. */
    static String decode(byte[] bytes) throws NotUtf8 {
        if (looksLikeUtf16(bytes)) {
            throw new NotUtf8("the file is not UTF-8 text (UTF-16?)");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8("the file is not UTF-8 text (byte " + (in.position() + 1) + " is not UTF-8)");
        }
        if (text.indexOf('\0') >= 0) {
            throw new NotUtf8(HOLDS_NUL);
        }
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /** Text that came in already decoded (a posted body): a NUL or a replaced byte means it was not UTF-8 text. */
    static Optional<String> notText(String text) {
        if (text.indexOf('\0') >= 0) {
            return Optional.of(HOLDS_NUL);
        }
        if (text.indexOf('\uFFFD') >= 0) {
            return Optional.of("the file is not UTF-8 text (it holds bytes that are not UTF-8)");
        }
        return Optional.empty();
    }

    /** A UTF-16 byte order mark, or the NUL bytes that ASCII text in UTF-16 is half made of. */
    private static boolean looksLikeUtf16(byte[] b) {
        if (b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))) {
            return true;
        }
        return b.length >= 2 && (b[0] == 0) != (b[1] == 0);
    }

    /** Why a file is not UTF-8 text, as the one line to show. */
    static final class NotUtf8 extends Exception {
        NotUtf8(String problem) {
            super(problem, null, false, false);
        }
    }
}
