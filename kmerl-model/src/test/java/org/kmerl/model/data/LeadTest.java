package org.kmerl.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeadTest {

    @Test
    void namesMatchWhateverSpellingFilesUse() {
        for (String s : List.of("avr", "AVR", "aVR", " aVR ", "lead aVR", "Lead_aVR")) {
            assertEquals(Lead.AVR, Lead.parse(s), s);
        }
        assertEquals(Lead.II, Lead.parse("ii"));
        assertEquals(Lead.V1, Lead.parse("V 1"));
        assertNull(Lead.parseOrNull("MLII"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lead.parse("V7"));
        assertTrue(e.getMessage().contains("'V7'"), e.getMessage());
    }

    @Test
    void listsAndPresets() {
        assertEquals(List.of(Lead.I, Lead.II, Lead.V1), Lead.parseList("3-lead"));
        assertEquals(6, Lead.parseList("limb").size());
        assertEquals(List.of(Lead.V6, Lead.I), Lead.parseList("V6, i"));
        assertThrows(IllegalArgumentException.class, () -> Lead.parseList("I,I"));
    }

    @Test
    void mimicOrderIsReorderedByNameNotPosition() {
        // MIMIC-IV-ECG stores aVF before aVL.
        List<Lead> mimic = List.of(Lead.I, Lead.II, Lead.III, Lead.AVR, Lead.AVF, Lead.AVL, Lead.V1, Lead.V2, Lead.V3,
                Lead.V4, Lead.V5, Lead.V6);
        float[][] x = new float[12][1];
        for (int i = 0; i < 12; i++) {
            x[i][0] = mimic.get(i).ordinal();
        }
        EcgRecord r = new EcgRecord("m", 500, mimic, x, "", Set.of(), Map.of()).standardOrder();
        assertEquals(List.of(Lead.values()), r.leads());
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(new float[] {i}, r.signals()[i]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EcgRecord("two", 500, List.of(Lead.I, Lead.II), new float[2][3], "", Set.of(), Map.of())
                        .select(List.of(Lead.V1)));
        assertTrue(e.getMessage().contains("two has no lead V1"), e.getMessage());
    }
}
