package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/settings.md honest: one row per catalogue setting, with its variable and default as
 * the code has them.
 */
class SettingsReferenceTest {

  private static final Path REFERENCE = Path.of("..", "docs", "settings.md");

  private static Map<String, List<String>> rows;

  @BeforeAll
  static void readReference() throws IOException {
    rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(REFERENCE)) {
      if (line.startsWith("| `")) {
        List<String> cells =
            List.of(line.substring(1, line.lastIndexOf('|')).split("\\|")).stream()
                .map(String::trim)
                .toList();
        rows.put(unquote(cells.get(0)), cells);
      }
    }
  }

  @Test
  void shouldDocumentEverySettingOfTheCatalogue() {
    assertThat(rows.keySet())
        .containsAll(SettingsCatalogue.all().stream().map(Setting::key).toList());
  }

  @Test
  void shouldDocumentNoSettingTheCatalogueLacks() {
    assertThat(rows.keySet())
        .allSatisfy(key -> assertThat(SettingsCatalogue.find(key)).as(key).isPresent());
  }

  @Test
  void shouldShowTheVariableAndTheDefaultOfEachSetting() {
    for (Setting<?> setting : SettingsCatalogue.all()) {
      List<String> cells = rows.get(setting.key());
      assertThat(cells).as(setting.key()).isNotNull();
      assertThat(unquote(cells.get(1)))
          .as("variable of " + setting.key())
          .isEqualTo(setting.environmentVariable());
      assertThat(unquote(cells.get(2)))
          .as("default of " + setting.key())
          .isEqualTo(documentedDefault(setting));
    }
  }

  private static String documentedDefault(Setting<?> setting) {
    if (setting.defaultValue().isEmpty()) {
      return "(none)";
    }
    return setting.defaultText().isEmpty() ? "(empty)" : setting.defaultText();
  }

  private static String unquote(String cell) {
    return cell.replace("`", "");
  }
}
