package io.optin.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.kit.config.Setting;
import io.optin.kit.config.SettingsCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/settings.md honest: one row per setting of the laptop's command (every module's, and
 * the dev stack's), with its variable, default and allowed values as the code declares them.
 */
class SettingsReferenceTest {

  private static final Path REFERENCE = Path.of("..", "docs", "settings.md");
  private static final SettingsCatalogue CATALOGUE = DevSettings.CATALOGUE;

  private static String text;
  private static Map<String, List<String>> rows;

  @BeforeAll
  static void readReference() throws IOException {
    text = Files.readString(REFERENCE);
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
    assertThat(rows.keySet()).containsAll(CATALOGUE.all().stream().map(Setting::key).toList());
  }

  @Test
  void shouldDocumentNoSettingTheCatalogueLacks() {
    assertThat(rows.keySet())
        .allSatisfy(key -> assertThat(CATALOGUE.find(key)).as(key).isPresent());
  }

  @Test
  void shouldShowTheVariableTheDefaultAndTheAllowedValuesOfEachSetting() {
    for (Setting<?> setting : CATALOGUE.all()) {
      List<String> cells = rows.get(setting.key());
      assertThat(cells).as(setting.key()).isNotNull();
      assertThat(unquote(cells.get(1)))
          .as("variable of " + setting.key())
          .isEqualTo(setting.environmentVariable());
      assertThat(unquote(cells.get(2)))
          .as("default of " + setting.key())
          .isEqualTo(documentedDefault(setting));
      assertThat(unquote(cells.get(3)))
          .as("type and allowed values of " + setting.key())
          .isEqualTo(
              setting.type().name()
                  + (setting.allowed().isEmpty() ? "" : ": " + unquote(setting.allowed())));
    }
  }

  @Test
  void shouldDescribeEveryFamilyOfNamedKeys() {
    assertThat(CATALOGUE.familyPrefixes())
        .allSatisfy(prefix -> assertThat(text).as(prefix).contains("`" + prefix));
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
