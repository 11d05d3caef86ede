package org.okrtrl.job.config;

import org.okrtrl.core.Algorithm;
import org.okrtrl.core.cell.CellType;
import org.okrtrl.core.train.OptimizerType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the typed choices of the command line: the names users write (ok:8,
 * rhn, adam, per-key) become {@link Algorithm}, {@link CellType}, {@link OptimizerType} and
 * {@link ModelMode}; a bad name is reported by picocli with the option it was given to.
 */
public final class Choices {
    private Choices() {}

    public static final class AlgorithmConverter implements ITypeConverter<Algorithm> {
        @Override
        public Algorithm convert(String value) {
            try {
                return Algorithm.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class CellConverter implements ITypeConverter<CellType> {
        @Override
        public CellType convert(String value) {
            try {
                return CellType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected rnn or rhn, got " + value);
            }
        }
    }

    public static final class OptimizerConverter implements ITypeConverter<OptimizerType> {
        @Override
        public OptimizerType convert(String value) {
            try {
                return OptimizerType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected adam or sgd, got " + value);
            }
        }
    }

    public static final class ModelConverter implements ITypeConverter<ModelMode> {
        @Override
        public ModelMode convert(String value) {
            try {
                return ModelMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class MergeConverter implements ITypeConverter<org.okrtrl.operators.replication.MergeRule> {
        @Override
        public org.okrtrl.operators.replication.MergeRule convert(String value) {
            try {
                return org.okrtrl.operators.replication.MergeRule.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** float or double, the precision of r-OK's influence factors. */
    public static final class PrecisionConverter implements ITypeConverter<org.okrtrl.core.influence.Precision> {
        @Override
        public org.okrtrl.core.influence.Precision convert(String value) {
            try {
                return org.okrtrl.core.influence.Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** fan-in (the uniform rule, {@link org.okrtrl.core.train.Model#FAN_IN}) or a standard deviation >= 0. */
    public static final class InitScaleConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            if (value.equals("fan-in")) {
                return org.okrtrl.core.train.Model.FAN_IN;
            }
            double scale;
            try {
                scale = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected fan-in or a number >= 0, got " + value);
            }
            if (!(scale >= 0) || !Double.isFinite(scale)) {
                throw new TypeConversionException("expected fan-in or a number >= 0, got " + value);
            }
            return scale;
        }
    }

    /** A duration in Flink's syntax ({@code 30s}, {@code 5 min}, {@code 10m}) or ISO-8601 ({@code PT30S}). */
    public static final class DurationConverter implements ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("expected a duration such as 30s, 5 min or PT30S, got " + value);
            }
        }
    }

    /** As {@link DurationConverter}; IllegalArgumentException or DateTimeParseException otherwise. */
    public static java.time.Duration parseDuration(String value) {
        String v = value.trim();
        if (v.startsWith("P") || v.startsWith("p") || v.startsWith("-P")) {
            return java.time.Duration.parse(v);
        }
        return org.apache.flink.util.TimeUtils.parseDuration(v);
    }

    /** The name users write for an enum constant: lower case, '-' for '_' (EXACTLY_ONCE: exactly-once). */
    public static String label(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Parses the {@link #label} of one of type's constants; TypeConversionException listing them otherwise. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(value)) {
                return e;
            }
        }
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (E e : type.getEnumConstants()) {
            labels.add(label(e));
        }
        throw new TypeConversionException("expected one of " + String.join(", ", labels) + ", got " + value);
    }

    public static final class RealTaskConverter implements ITypeConverter<org.okrtrl.operators.RealValued.Task> {
        @Override
        public org.okrtrl.operators.RealValued.Task convert(String value) {
            return parse(org.okrtrl.operators.RealValued.Task.class, value);
        }
    }

    public static final class ForecastTargetConverter
            implements ITypeConverter<org.okrtrl.operators.RealValued.ForecastTarget> {
        @Override
        public org.okrtrl.operators.RealValued.ForecastTarget convert(String value) {
            return parse(org.okrtrl.operators.RealValued.ForecastTarget.class, value);
        }
    }

    public static final class StartingOffsetsConverter implements ITypeConverter<StartingOffsets> {
        @Override
        public StartingOffsets convert(String value) {
            return parse(StartingOffsets.class, value);
        }
    }

    public static final class StateBackendConverter implements ITypeConverter<StateBackendChoice> {
        @Override
        public StateBackendChoice convert(String value) {
            return parse(StateBackendChoice.class, value);
        }
    }

    public static final class DeliveryConverter
            implements ITypeConverter<org.apache.flink.connector.base.DeliveryGuarantee> {
        @Override
        public org.apache.flink.connector.base.DeliveryGuarantee convert(String value) {
            return parse(org.apache.flink.connector.base.DeliveryGuarantee.class, value);
        }
    }

    public static final class GapPolicyConverter implements ITypeConverter<org.okrtrl.operators.TrainingConfig.GapPolicy> {
        @Override
        public org.okrtrl.operators.TrainingConfig.GapPolicy convert(String value) {
            return parse(org.okrtrl.operators.TrainingConfig.GapPolicy.class, value);
        }
    }

    public static final class InputFormatConverter implements ITypeConverter<org.okrtrl.operators.RecordParser.InputFormat> {
        @Override
        public org.okrtrl.operators.RecordParser.InputFormat convert(String value) {
            return parse(org.okrtrl.operators.RecordParser.InputFormat.class, value);
        }
    }
}
