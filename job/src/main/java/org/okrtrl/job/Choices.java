package org.okrtrl.job;

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
}
