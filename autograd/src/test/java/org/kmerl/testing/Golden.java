package org.kmerl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.kmerl.tensor.io.SafeTensors;

/** The PyTorch fixtures under src/test/resources/golden (written by src/test/python/make_golden.py). */
public final class Golden {
    private Golden() {
    }

    public static SafeTensors.Content load(String name) throws IOException {
        Path tmp = Files.createTempFile("golden", ".safetensors");
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /golden/" + name
                        + " (regenerate with autograd/src/test/python/make_golden.py)");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return SafeTensors.read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
