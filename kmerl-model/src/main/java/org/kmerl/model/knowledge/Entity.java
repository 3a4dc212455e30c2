package org.kmerl.model.knowledge;

import java.util.List;
import java.util.Map;

/**
 * A cardiac entity of the vocabulary: a stable id, its canonical name, parent ids (the hierarchy),
 * the PTB-XL SCP-ECG statements and SNOMED-CT codes it corresponds to, and its phrases by language.
 */
public record Entity(String id, String name, List<String> parents, List<String> scp, List<String> snomed,
                     Map<String, List<String>> synonyms) {
    public Entity {
        parents = List.copyOf(parents);
        scp = List.copyOf(scp);
        snomed = List.copyOf(snomed);
        synonyms = Map.copyOf(synonyms);
    }
}
